#!/bin/sh
# Executes every notebook here with the workgraph kernel and writes its outputs back, in a
# fresh workgraph home so the stored runs of other work do not show in them.
set -e
cd "$(dirname "$0")"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
for notebook in *.ipynb; do
  WORKGRAPH_HOME="$home" node ../dist/cli/main.js run-notebook "$notebook" --quiet
done
