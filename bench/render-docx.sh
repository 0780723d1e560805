#!/bin/sh
# Renders a DOCX to PDF with LibreOffice headless, then page 1 (or every page with ALL=1) to PNG
# with pdftoppm, for a human to look at. Without a file it first writes the exports of the tests'
# sample period (node dist/bench/sample-export.js; run `npx tsc -p .` before; FULL=1: every unit
# submitted, sample-export.js --full).
# Not part of `npm test`. Needs: soffice (libreoffice-writer) and pdftoppm (poppler-utils).
#   bench/render-docx.sh [FILE.docx] [OUTDIR]
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${1:-}" ]; then
  in="$1"
  out="${2:-$(dirname "$in")}"
else
  out="${2:-$(mktemp -d)}"
  if [ "${FULL:-0}" = 1 ]; then node "$here/dist/bench/sample-export.js" --full "$out" >/dev/null; else node "$here/dist/bench/sample-export.js" "$out" >/dev/null; fi
  in="$out/tong-hop-2027-H1.docx"
fi
command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y --no-install-recommends libreoffice-writer" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install -y poppler-utils" >&2; exit 1; }
mkdir -p "$out"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
timeout 300 soffice --headless -env:UserInstallation="file://$profile" --convert-to pdf --outdir "$out" "$in" >/dev/null 2>&1
pdf="$out/$(basename "${in%.*}").pdf"
[ -s "$pdf" ] || { echo "conversion failed: no $pdf" >&2; exit 1; }
base="$out/$(basename "${in%.*}")-page"
if [ "${ALL:-0}" = 1 ]; then pdftoppm -png -r 80 "$pdf" "$base"; else pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$pdf" "$base-1"; fi
pages="$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
echo "$pdf (${pages:-?} pages)"
ls "$out"/*.png
