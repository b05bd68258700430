# bash completion for quants-infra; generated from its --help (do not edit)
# install: cp quants-infra.bash /etc/bash_completion.d/quants-infra
_quants_infra() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "data-lake --help --version" -- "$cur")
        return
    fi
    if ((COMP_CWORD == 2)); then
        mapfile -t COMPREPLY < <(compgen -W "sync stats cleanup validate demo --help" -- "$cur")
        return
    fi
    case $prev in
        --config | --dir) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
        --format) mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur"); return ;;
    esac
    case ${COMP_WORDS[2]} in
        sync) opts="--all --config -n --dry-run --format -h --help -j --jobs --log-file --no-cleanup -q --quiet -v --verbose -vv" ;;
        stats) opts="--all --config --format -h --help -q --quiet -v --verbose -vv" ;;
        cleanup) opts="--all --config -n --dry-run --format -h --help -q --quiet -v --verbose -vv" ;;
        validate) opts="--check-remote --config --format -h --help -q --quiet -v --verbose -vv" ;;
        demo) opts="--config --dir -h --help --keep-running -q --quiet --s3 -v --verbose -vv" ;;
        *) return ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
}
complete -F _quants_infra quants-infra
