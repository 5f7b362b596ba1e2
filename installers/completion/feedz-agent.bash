# bash completion for feedz-agent. Installed as
#   ~/.local/share/bash-completion/completions/feedz-agent  (installers/install.sh)
#   /usr/share/bash-completion/completions/feedz-agent      (the .deb)
# where bash-completion loads it on first use. Keep in sync with `feedz-agent --help` and
# `feedz-agent COMMAND --help` (tests/integration/installer_test.sh checks it).

_feedz_agent_options() {
    case $1 in
    login)
        echo "--pat --pat-stdin --feed --name --access --expires --npm --npm-scope --yarn
              --no-nuget --nuget-pattern --no-verify --help" ;;
    logout) echo "--all --help" ;;
    list) echo "--json --help" ;;
    disable | enable) echo "--help" ;;
    exec) echo "--feed --access --env --nuget-env --help" ;;
    serve) echo "--foreground --idle-timeout --help" ;;
    stop) echo "--help" ;;
    doctor) echo "--json --help" ;;
    esac
}

# The names of the stored tokens (the first column of `feedz-agent list`).
_feedz_agent_token_names() {
    feedz-agent list 2>/dev/null | awk 'NR > 1 && $1 != "" { print $1 }'
}

_feedz_agent() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="login logout list disable enable exec serve stop doctor"
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *)
            command=${COMP_WORDS[i]}
            break
            ;;
        esac
    done

    if [ -z "$command" ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    # exec: after `--`, a command and then its arguments.
    if [ "$command" = exec ]; then
        for ((i = i + 1; i < COMP_CWORD; i++)); do
            if [ "${COMP_WORDS[i]}" = -- ]; then
                if [ $((i + 1)) -eq "$COMP_CWORD" ]; then
                    COMPREPLY=($(compgen -c -- "$cur"))
                else
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
                return
            fi
        done
    fi

    case $prev in
    --access)
        COMPREPLY=($(compgen -W "read read-write full" -- "$cur"))
        return ;;
    --npm)
        COMPREPLY=($(compgen -W "userconfig exec pnpm-helper none" -- "$cur"))
        return ;;
    --yarn)
        COMPREPLY=($(compgen -W "auto berry none" -- "$cur"))
        return ;;
    --pat | --feed | --name | --expires | --npm-scope | --nuget-pattern | --idle-timeout | --env)
        COMPREPLY=()
        return ;;
    esac

    if [[ $cur == -* ]]; then
        local options
        options=$(_feedz_agent_options "$command")
        [ "$command" = exec ] && options="$options --"
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    case $command in
    logout | disable | enable)
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$(_feedz_agent_token_names)" -- "$cur"))
        ;;
    esac
}

complete -F _feedz_agent feedz-agent
