#!/usr/bin/env bash
# Recaptures the kubectl protobuf fixtures in api/src/test/resources/io/flotilla/api/protobuf/kubectl:
# runs each kubectl command against a loopback listener that records request bodies (NAME.pb)
# and, for `create`, kubectl's own --dry-run=client -o json output (NAME.json).
# Usage: api/src/build/capture-kubectl-bodies.sh [port]
set -euo pipefail
port=${1:-18471}
out=$(cd "$(dirname "$0")/../test/resources/io/flotilla/api/protobuf/kubectl" && pwd)
work=$(mktemp -d)
export HOME=$work KUBECACHEDIR=$work/cache
cat > "$work/listener.py" <<'PY'
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if body:
            open(sys.argv[2], "wb").write(body)
        reply = b'{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}' if self.command == "GET" else b"{}"
        self.send_response(404 if self.command == "GET" else 201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    do_GET = do_POST = do_PUT = answer
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/listener.py" "$port" "$work/last.pb" &
listener=$!
trap 'kill $listener; rm -rf "$work"' EXIT
for _ in $(seq 100); do # wait up to 10 s for the listener
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
printf '\x00\x01\xfe\xffbin' > "$work/blob.bin"
printf 'hello' > "$work/text.txt"

capture() { # NAME DRY_RUN(yes|no) kubectl-args...
  local name=$1 dry=$2; shift 2
  rm -f "$work/last.pb"
  kubectl -s "http://127.0.0.1:$port" "$@" >/dev/null 2>&1 || true
  cp "$work/last.pb" "$out/$name.pb"
  if [[ $dry == yes ]]; then
    # The flags go right after "create KIND": anything after "--" is the container command.
    kubectl -s "http://127.0.0.1:$port" "${@:1:2}" --dry-run=client -o json "${@:3}" > "$out/$name.json"
  fi
}
capture create-configmap yes create configmap cm1 --from-literal=a=b --from-literal=empty= --from-file=blob="$work/blob.bin" -n ns1
capture create-secret-generic yes create secret generic s1 --from-literal=k=v --from-file=t="$work/text.txt" --type=Opaque
capture create-deployment yes create deployment d1 --image=nginx --replicas=0 --port=80
capture create-job yes create job j1 --image=busybox -- echo hi
capture create-cronjob yes create cronjob c1 --image=busybox --schedule='*/1 * * * *'
capture create-service-clusterip yes create service clusterip s1 --tcp=80:8080
capture create-service-nodeport yes create service nodeport s2 --tcp=80:web --node-port=30001
capture create-namespace yes create namespace n1
capture create-serviceaccount yes create serviceaccount sa1
capture create-quota yes create quota q1 --hard=cpu=100m,pods=2,memory=1Gi
capture create-priorityclass yes create priorityclass p1 --value=0 --preemption-policy=Never
capture create-rolebinding yes create rolebinding rb1 --role=r1 --user=u --serviceaccount=default:sa1
capture create-clusterrolebinding yes create clusterrolebinding crb1 --clusterrole=cr1 --group=g
capture create-poddisruptionbudget yes create poddisruptionbudget pdb1 --selector=app=x --min-available=0
capture create-ingress yes create ingress i1 --class=nginx '--rule=foo.com/bar*=svc1:8080,tls=sec'
capture auth-can-i-get-pods no auth can-i get pods -n ns1
capture auth-can-i-create-deployments-scale no auth can-i create deployments.apps/scale
capture auth-whoami no auth whoami
capture create-token no create token sa1 --duration=10m --audience=a1
echo "captured into $out (the .json of auth-* and create-token are written by hand)"
