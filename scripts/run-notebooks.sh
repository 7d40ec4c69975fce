#!/usr/bin/env bash
# Executes every notebooks/*.ipynb headless with Debian's nbconvert and the tslab kernel; fails on the
# first error (a thrown error or a TypeScript type error in any cell). Executed copies go to
# out/notebooks/ (the committed notebooks stay without outputs).
#
#   scripts/run-notebooks.sh [--no-build] [NOTEBOOK...]
#
# Needs: pnpm install; tslab (`npm i -g tslab`, then `tslab install --python=/usr/bin/python3`);
# Debian `jupyter-notebook python3-nbconvert python3-ipykernel`; shared data at ../shared/data
# (or SDFKIT_SHARED_DATA). Notebooks import the packages by name, i.e. their built dist/, so this
# builds first unless --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=1
nbs=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) nbs+=("$(realpath "$a")") ;;
  esac
done
[ ${#nbs[@]} -gt 0 ] || nbs=("$root"/notebooks/*.ipynb)
PY=/usr/bin/python3
"$PY" -c "import nbconvert, ipykernel" 2>/dev/null || { echo "run-notebooks: $PY lacks nbconvert/ipykernel (apt-get install jupyter-notebook python3-nbconvert python3-ipykernel)"; exit 2; }
command -v tslab >/dev/null || { echo "run-notebooks: tslab not on PATH (npm i -g tslab)"; exit 2; }
"$PY" -c "from jupyter_client.kernelspec import KernelSpecManager as K; K().get_kernel_spec('tslab')" 2>/dev/null || tslab install --python="$PY" >/dev/null
[ -d "$root/notebooks/node_modules/@sdfkit" ] || pnpm install --frozen-lockfile
[ $build = 0 ] || pnpm build >/dev/null
mkdir -p "$root/out/notebooks"
export SDFKIT_SHARED_DATA="${SDFKIT_SHARED_DATA:-$(realpath -m "$root/../shared/data")}"
failed=0
total_start=$(date +%s)
for nb in "${nbs[@]}"; do
  name=$(basename "$nb")
  start=$(date +%s)
  if (cd "$(dirname "$nb")" && "$PY" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
        --output-dir "$root/out/notebooks" "$nb" >"$root/out/notebooks/${name%.ipynb}.log" 2>&1); then
    echo "notebook ok     $name ($(( $(date +%s) - start )) s)"
  else
    echo "notebook FAILED $name ($(( $(date +%s) - start )) s); last lines of its log:"
    tail -n 30 "$root/out/notebooks/${name%.ipynb}.log"
    failed=$((failed + 1))
  fi
done
echo "notebooks: $(( ${#nbs[@]} - failed )) passed, $failed failed ($(( $(date +%s) - total_start )) s)"
[ $failed = 0 ]
