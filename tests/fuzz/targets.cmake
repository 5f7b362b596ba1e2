# The fuzz targets: tests/fuzz/fuzz_NAME.cpp each, built by tests/fuzz/CMakeLists.txt (clang)
# and run by the fuzz.NAME tests of tests/CMakeLists.txt.
set(feedz_fuzz_targets
    npmrc
    nuget_config
    plugin_message
    agent_request
    url_scope
    env_credentials
    commands)
