# fish completion for feedz-agent. Installed as
#   /usr/share/fish/vendor_completions.d/feedz-agent.fish  (the .deb)
#   ~/.config/fish/completions/feedz-agent.fish            (installers/install.sh, when fish is installed)
# Keep in sync with `feedz-agent COMMAND --help` (tests/integration/installer_test.sh checks it).

set -l commands login logout list disable enable exec serve stop doctor

function __feedz_agent_token_names
    feedz-agent list 2>/dev/null | awk 'NR > 1 && $1 != "" { print $1 }'
end

complete -c feedz-agent -f
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a login -d 'store a personal access token for one or more feeds'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a logout -d 'remove a stored token'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a list -d 'list the stored tokens'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a disable -d 'keep a token but never hand it out'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a enable -d 'hand out a disabled token again'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a exec -d 'run npm or dotnet with the feeds\' credentials'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a serve -d 'run the agent'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a stop -d 'stop the running agent'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -a doctor -d 'check why something does not authenticate'
complete -c feedz-agent -n "not __fish_seen_subcommand_from $commands" -l version -d 'print the version'
complete -c feedz-agent -l help -d 'describe the command'

complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l pat -r -d 'the token (visible in shell history and ps)'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l pat-stdin -d 'read the token from standard input'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l feed -r -d 'a feed the token is for'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l name -r -d 'what to call the token'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l access -x -a 'read read-write full' -d 'the token\'s level on Feedz'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l expires -r -d 'the token\'s expiry date (YYYY-MM-DD)'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l npm -x -a 'userconfig exec pnpm-helper none' -d 'how npm gets the token'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l yarn -x -a 'auto berry none' -d 'entries for yarn berry in ~/.yarnrc.yml'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l npm-scope -r -d 'route this scope to the feed'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l no-nuget -d 'do not add the feed to NuGet.Config'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l nuget-pattern -r -d 'map matching packages to the feed'
complete -c feedz-agent -n '__fish_seen_subcommand_from login' -l no-verify -d 'do not check the token against the feed'
complete -c feedz-agent -n '__fish_seen_subcommand_from logout' -l all -d 'remove every token'
complete -c feedz-agent -n '__fish_seen_subcommand_from logout disable enable' -a '(__feedz_agent_token_names)' -d 'token'
complete -c feedz-agent -n '__fish_seen_subcommand_from list' -l json -d 'machine-readable output'
complete -c feedz-agent -n '__fish_seen_subcommand_from doctor' -l json -d 'machine-readable output'
complete -c feedz-agent -n '__fish_seen_subcommand_from exec' -l feed -r -d 'give credentials for this feed only'
complete -c feedz-agent -n '__fish_seen_subcommand_from exec' -l access -x -a 'read read-write full' -d 'the level every feed gets'
complete -c feedz-agent -n '__fish_seen_subcommand_from exec' -l env -x -d "also put the feed's token into this variable"
complete -c feedz-agent -n '__fish_seen_subcommand_from exec' -l nuget-env -d 'NuGet credentials in variables for dotnet restore and build too'
complete -c feedz-agent -n '__fish_seen_subcommand_from serve' -l foreground -d 'stay in the foreground'
complete -c feedz-agent -n '__fish_seen_subcommand_from serve' -l idle-timeout -r -d 'exit after this long without requests'
