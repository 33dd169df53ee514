#!/usr/bin/env bash
# The `generate` step of the shipshape Config Management Plugin (plugin.yaml): render the application, check what
# was rendered with shipshape, and print the manifests on stdout only when no finding reaches the fail level.
# Otherwise it exits non-zero with the findings on stderr: manifest generation fails, the application shows a
# ComparisonError, and ArgoCD applies nothing and prunes nothing. It never exits 0 with an empty stdout (with
# `prune: true`, an empty manifest set would delete every resource of the application).
#
# The CMP server runs it with the application path as working directory, and ARGOCD_APP_NAME,
# ARGOCD_APP_NAMESPACE and the plugin's parameters as ARGOCD_ENV_* in the environment:
#   ARGOCD_ENV_SHIPSHAPE_FAIL_ON        error (default) | warning | note
#   ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS  extra flags for kubectl kustomize, e.g. --enable-helm
#   ARGOCD_ENV_HELM_VALUES              values files, space-separated, relative to the application path
#   ARGOCD_ENV_HELM_RELEASE_NAME        default: ARGOCD_APP_NAME
#   ARGOCD_ENV_RECURSE                  true: plain YAML is read from subdirectories too
#   ARGOCD_ENV_RENDER_TIMEOUT           seconds for rendering (default 40), within ArgoCD's 60 s / 90 s timeouts
# and KUBE_VERSION (the destination cluster's version, e.g. 1.29.3+k3s1): the schemas and API removals of that
# version apply, so a sync to a 1.29 cluster is not blocked for an API only removed later.
set -euo pipefail

fail_on="${ARGOCD_ENV_SHIPSHAPE_FAIL_ON:-error}"
render_timeout="${ARGOCD_ENV_RENDER_TIMEOUT:-40}"
app="${ARGOCD_APP_NAME:-app}"
shipshape="${SHIPSHAPE_BIN:-shipshape}"
kube_version=()
if [[ "${KUBE_VERSION:-}" =~ ^v?([0-9]+)\.([0-9]+) ]]; then kube_version=(--kube-version "${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"); fi

die() {
  printf 'shipshape: %s\n' "$1" >&2
  exit "${2:-1}"
}

case "$fail_on" in error | warning | note) ;; *) die "ARGOCD_ENV_SHIPSHAPE_FAIL_ON must be error, warning or note, not \"$fail_on\"" 2 ;; esac

work="$(mktemp -d "${TMPDIR:-/tmp}/shipshape-generate.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rendered="$work/$app.rendered.yaml"

# timeout(1) exits 124 when the time is up: say so instead of a bare exit code.
render() {
  local what="$1"
  shift
  local status=0
  timeout "$render_timeout" "$@" >"$rendered" || status=$?
  if [ "$status" -eq 124 ]; then die "$what took longer than ${render_timeout}s" 2; fi
  if [ "$status" -ne 0 ]; then die "$what failed (exit $status, its error is above)" 2; fi
}

checked=()
kustomize_app=
if [ -f kustomization.yaml ] || [ -f kustomization.yml ] || [ -f Kustomization ]; then
  read -r -a build_options <<<"${ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS:-}"
  if command -v kubectl >/dev/null 2>&1; then
    render "kubectl kustomize" kubectl kustomize ${build_options[@]+"${build_options[@]}"} .
  elif command -v kustomize >/dev/null 2>&1; then
    render "kustomize build" kustomize build ${build_options[@]+"${build_options[@]}"} .
  else
    die "this application is a kustomization, but neither kubectl nor kustomize is installed in the plugin image" 2
  fi
  checked=("$(basename "$rendered")")
  kustomize_app=1
elif [ -f Chart.yaml ]; then
  command -v helm >/dev/null 2>&1 || die "this application is a Helm chart, but helm is not installed in the plugin image (build it with --build-arg HELM_VERSION=v3.x.y)" 2
  values=()
  read -r -a values_files <<<"${ARGOCD_ENV_HELM_VALUES:-}"
  for f in ${values_files[@]+"${values_files[@]}"}; do values+=(--values "$f"); done
  render "helm template" helm template "${ARGOCD_ENV_HELM_RELEASE_NAME:-$app}" . --namespace "${ARGOCD_APP_NAMESPACE:-default}" ${values[@]+"${values[@]}"}
  checked=("$(basename "$rendered")")
else
  # Plain manifests, as ArgoCD's directory source reads them: *.yaml, *.yml and *.json, hidden files left out.
  depth=(-maxdepth 1)
  [ "${ARGOCD_ENV_RECURSE:-false}" = true ] && depth=()
  find . ${depth[@]+"${depth[@]}"} -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -not -path '*/.*' -print0 | LC_ALL=C sort -z >"$work/files"
  files=()
  while IFS= read -r -d '' f; do files+=("${f#./}"); done <"$work/files"
  [ "${#files[@]}" -gt 0 ] || die "no *.yaml, *.yml or *.json file in $(pwd): refusing to generate an empty set of manifests (ArgoCD would prune every resource of the application)"
  for f in "${files[@]}"; do
    printf -- '---\n# Source: %s\n' "$f"
    cat -- "$f"
    printf '\n'
  done >"$rendered"
  checked=("${files[@]}")
fi

grep -Eq '^[[:space:]]*"?kind"?[[:space:]]*:' "$rendered" ||
  die "rendering produced no Kubernetes object: refusing to generate an empty set of manifests (ArgoCD would prune every resource of the application)"

# The repository's .shipshape.yaml applies, wherever shipshape runs from.
config=()
dir="$(pwd)"
while :; do
  for name in .shipshape.yaml .shipshape.yml; do
    if [ -f "$dir/$name" ]; then
      config=(--config "$dir/$name")
      break 2
    fi
  done
  [ "$dir" = / ] && break
  dir="$(dirname "$dir")"
done

# Findings go to stderr, never to stdout, at the files and lines of the repository:
# - a kustomization is checked by shipshape's own build of it (--render), from the repository root (the working
#   directory less ARGOCD_APP_SOURCE_PATH), so findings name source files such as apps/shop/base/deployment.yaml:22;
# - a chart is checked as rendered (helm's values and release name are the plugin's), at lines of "<app>.rendered.yaml";
# - plain files are checked where they are.
status=0
common=(${config[@]+"${config[@]}"} ${kube_version[@]+"${kube_version[@]}"} --fail-on "$fail_on" --quiet --no-color)
if [ -n "$kustomize_app" ]; then
  root="$(pwd)"
  app_path="."
  src="${ARGOCD_APP_SOURCE_PATH:-}"
  src="${src#./}"
  src="${src%/}"
  if [ -n "$src" ] && [ "$src" != . ] && [[ "$root" == */"$src" ]]; then
    root="${root%/"$src"}"
    app_path="$src"
  fi
  (cd "$root" && "$shipshape" "${common[@]}" --render -- "$app_path") >&2 || status=$?
elif [ "${checked[0]}" = "$(basename "$rendered")" ]; then
  (cd "$work" && "$shipshape" "${common[@]}" "${checked[@]}") >&2 || status=$?
else
  "$shipshape" "${common[@]}" -- "${checked[@]}" >&2 || status=$?
fi
case "$status" in
  0) ;;
  1) die "$app was not synced: the findings above are at or above \"$fail_on\" (fix them, or suppress one with the shipshape.io/ignore annotation and a reason)" 1 ;;
  *) die "$app was not synced: shipshape could not check the manifests (exit $status, its error is above)" 2 ;;
esac

cat -- "$rendered"
