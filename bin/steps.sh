# Sourced by bin/setup and bin/demo: each set-up step says what it is doing, then how
# long it took, so a first run that takes minutes shows where the time goes.

step() { # step "Python packages" "installing requirements.txt"
  step_started=$SECONDS
  printf '==> %s: %s\n' "$1" "$2"
}

step_done() { # step_done ["what came of it"]
  printf '    %s in %s\n' "${1:-done}" "$(took "$step_started")"
}

took() { # took <$SECONDS at the start>
  local seconds=$((SECONDS - $1))
  if [ "$seconds" -lt 1 ]; then
    echo "under a second"
  elif [ "$seconds" -lt 60 ]; then
    echo "$seconds s"
  else
    echo "$((seconds / 60)) min $((seconds % 60)) s"
  fi
}
