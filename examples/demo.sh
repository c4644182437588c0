#!/usr/bin/env bash
# The main job on the embedded default: build a component version into a CTF archive on disk (no server,
# no plugin binaries: the CTF and input plugins run in-process), then read it back.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
ocm() { node dist/ocm.mjs "$@"; }
set -x
ocm add component-version --create --repository "$work/ctf" --constructor examples/component-constructor.yaml
ocm get cv "$work/ctf//acme.org/hello"
ocm get cv "$work/ctf//acme.org/hello:1.0.0" -o yaml
ocm get resources "$work/ctf//acme.org/hello:1.0.0"
ocm download resource "$work/ctf//acme.org/hello:1.0.0" readme -O "$work/readme.txt"
ocm hash cv "$work/ctf//acme.org/hello:1.0.0"
