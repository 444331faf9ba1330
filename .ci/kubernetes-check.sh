#!/usr/bin/env bash
# deploy/kubernetes/ checked without a cluster (.ci/check_kubernetes.py): the manifests parse and
# fit together, and their shard and merge commands, run here with this build of pva, give the
# unsharded run's folder. PyYAML is Debian's python3-yaml, installed with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c 'import yaml' 2> /dev/null; then
  [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null \
    || { echo "kubernetes check: PyYAML is missing (apt-get install python3-yaml, or pip install pyyaml)" >&2; exit 1; }
  echo "kubernetes check: installing Debian's python3-yaml"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends python3-yaml > /dev/null \
    || { apt-get update -q > /dev/null && apt-get install -y -q --no-install-recommends python3-yaml > /dev/null; }
fi
[ -x .build/release/pva ] || swift build -c release
python3 .ci/check_kubernetes.py .build/release/pva
# The schema of the Kubernetes API too, where kubernetes-validate (PyPI) is installed; CI
# does not install it (it is not a Debian package).
if command -v kubernetes-validate > /dev/null; then
  kubernetes-validate --strict --quiet deploy/kubernetes/*.yaml
  echo "kubernetes check: the manifests fit the Kubernetes API schema ($(kubernetes-validate --version), --strict)"
fi
