# Certificates, tokens and kubeconfigs for the dev cluster (sourced by up, never run).
# One self-signed CA signs the serving certificates (apiserver; kwok as the kubelet API)
# and one client certificate per identity; every identity is in system:masters except
# "limited".

# Makes a client key and certificate $PKI_DIR/$1.{key,crt} with CN $2 and org $3;
# $4 is the key type (rsa:2048 like kind's, or ec for the components: far quicker);
# $5 the extensions file (default client.ext).
make_client_cert() {
  local name=$1 cn=$2 org=$3 newkey=${4:-rsa:2048} ext=${5:-$PKI_DIR/client.ext}
  [ "$newkey" = ec ] && newkey="ec -pkeyopt ec_paramgen_curve:P-256"
  # shellcheck disable=SC2086
  openssl req -newkey $newkey -nodes -keyout "$PKI_DIR/$name.key" -out "$PKI_DIR/$name.csr" \
    -subj "/O=$org/CN=$cn" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -out "$PKI_DIR/$name.crt" -extfile "$ext" 2>/dev/null
  rm -f "$PKI_DIR/$name.csr"
}

# Creates the CA, serving and client certificates, the service-account key pair and the
# token file, unless they exist already (a restart keeps them).
make_pki() {
  [ -f "$PKI_DIR/.complete" ] && return 0
  log "creating CA and certificates in $PKI_DIR"
  rm -rf "$PKI_DIR"
  mkdir -p "$PKI_DIR"
  chmod 700 "$PKI_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$PKI_DIR/ca.key" \
    -out "$PKI_DIR/ca.crt" -subj "/CN=wavesync-dev-cluster-ca" \
    -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign 2>/dev/null
  cat > "$PKI_DIR/server.ext" <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EOF
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' \
    > "$PKI_DIR/client.ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI_DIR/apiserver.key" -out "$PKI_DIR/apiserver.csr" \
    -subj "/CN=kube-apiserver" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/apiserver.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -out "$PKI_DIR/apiserver.crt" -extfile "$PKI_DIR/server.ext" 2>/dev/null
  rm -f "$PKI_DIR/apiserver.csr"
  # Distinct user names make the audit log readable: who wrote what.
  # Key generation dominates a fresh up on a busy machine: run it in parallel.
  # Wait for these pids only: a bare wait would also wait for the daemons up started.
  local jobs=()
  make_client_cert admin wavesync-admin system:masters & jobs+=($!)
  make_client_cert kube-controller-manager system:kube-controller-manager system:masters ec & jobs+=($!)
  make_client_cert kube-scheduler system:kube-scheduler system:masters ec & jobs+=($!)
  make_client_cert kwok kwok-controller system:masters ec & jobs+=($!)
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI_DIR/sa.key" 2>/dev/null
  openssl pkey -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
  wait "${jobs[@]}"
  local f
  for f in admin kube-controller-manager kube-scheduler kwok; do
    [ -s "$PKI_DIR/$f.crt" ] || die "could not make the $f certificate"
  done
  # Static bearer tokens: token,user,uid,"groups". "limited" is bound to cluster-admin
  # through RBAC instead of system:masters, so in-flight limits apply to it.
  local admin_token limited_token
  admin_token=$(openssl rand -hex 24)
  limited_token=$(openssl rand -hex 24)
  printf '%s,wavesync-token-admin,wavesync-token-admin,"system:masters"\n' "$admin_token" > "$PKI_DIR/tokens.csv"
  printf '%s,wavesync-limited,wavesync-limited,"wavesync:limited"\n' "$limited_token" >> "$PKI_DIR/tokens.csv"
  echo "$admin_token" > "$PKI_DIR/admin.token"
  echo "$limited_token" > "$PKI_DIR/limited.token"
  touch "$PKI_DIR/.complete"
}

# The kubelet API pair, for pod logs: kwok's serving certificate (what the apiserver
# dials, on 127.0.0.1) and the apiserver's client certificate for it. Made on their own,
# when missing, so a state dir from before they existed gets them on the next up.
make_kubelet_pki() {
  [ -s "$PKI_DIR/kwok-serving.crt" ] && [ -s "$PKI_DIR/apiserver-kubelet-client.crt" ] && return 0
  [ -f "$PKI_DIR/.complete" ] || die "make_kubelet_pki needs the CA: run make_pki first"
  log "creating the kubelet API certificates (kwok serving, apiserver client)"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' \
    > "$PKI_DIR/kubelet-serving.ext"
  local jobs=()
  make_client_cert kwok-serving kwok-kubelet-server kwok ec "$PKI_DIR/kubelet-serving.ext" & jobs+=($!)
  make_client_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters ec & jobs+=($!)
  wait "${jobs[@]}"
  local f
  for f in kwok-serving apiserver-kubelet-client; do
    [ -s "$PKI_DIR/$f.crt" ] || die "could not make the $f certificate"
  done
}

b64() { base64 -w0 < "$1"; }

# Writes kubeconfig $1 for user $2; $3 is "cert:NAME" (embedded client certificate
# $PKI_DIR/NAME.crt) or "token:NAME" (bearer token from $PKI_DIR/NAME.token).
write_kubeconfig() {
  local out=$1 user=$2 cred=$3 auth
  case $cred in
    cert:*) auth="    client-certificate-data: $(b64 "$PKI_DIR/${cred#cert:}.crt")
    client-key-data: $(b64 "$PKI_DIR/${cred#cert:}.key")" ;;
    token:*) auth="    token: $(cat "$PKI_DIR/${cred#token:}.token")" ;;
  esac
  (umask 077; cat > "$out.tmp") <<EOF
apiVersion: v1
kind: Config
clusters:
- name: wavesync-dev
  cluster:
    certificate-authority-data: $(b64 "$PKI_DIR/ca.crt")
    server: https://$BIND_ADDRESS:$APISERVER_PORT
users:
- name: $user
  user:
$auth
contexts:
- name: wavesync-dev
  context:
    cluster: wavesync-dev
    user: $user
current-context: wavesync-dev
preferences: {}
EOF
  mv "$out.tmp" "$out"
}

write_kubeconfigs() {
  write_kubeconfig "$KUBECONFIG_CERT" wavesync-admin cert:admin
  write_kubeconfig "$KUBECONFIG_TOKEN" wavesync-token-admin token:admin
  write_kubeconfig "$KUBECONFIG_LIMITED" wavesync-limited token:limited
  local c
  for c in kube-controller-manager kube-scheduler kwok; do
    write_kubeconfig "$STATE_DIR/$c.kubeconfig" "$c" "cert:$c"
  done
}
