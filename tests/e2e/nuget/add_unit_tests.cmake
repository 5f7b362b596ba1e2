# SPDX-License-Identifier: MIT
# Read by ctest (a TEST_INCLUDE_FILES entry of tests/e2e) with NUGET_PLUGIN_TESTS set to the
# nuget-plugin-tests binary: one test per Catch2 test case, unit.nuget.<name>, labelled unit
# and dotnet. The list comes from the binary when ctest starts, so it is never stale.
if(NOT EXISTS "${NUGET_PLUGIN_TESTS}")
    # Not built: a test that fails and says so, rather than no tests at all.
    add_test(unit.nuget.not_built "${NUGET_PLUGIN_TESTS}")
    set_tests_properties(unit.nuget.not_built PROPERTIES LABELS "unit;dotnet")
    return()
endif()
execute_process(
    COMMAND "${NUGET_PLUGIN_TESTS}" --list-test-names-only
    OUTPUT_VARIABLE names
    RESULT_VARIABLE result)
# Catch2 exits with the number of tests listed; a crash gives a text or a negative number.
if(NOT result MATCHES "^[0-9]+$")
    add_test(unit.nuget.list_failed "${NUGET_PLUGIN_TESTS}" --list-test-names-only)
    set_tests_properties(unit.nuget.list_failed PROPERTIES LABELS "unit;dotnet")
    return()
endif()
string(REPLACE ";" "\\;" names "${names}")
string(REPLACE "\n" ";" names "${names}")
foreach(name IN LISTS names)
    if(name STREQUAL "")
        continue()
    endif()
    # Catch2 test specs treat these characters specially; escaped, the name matches itself.
    set(spec "${name}")
    foreach(char , [ ] *)
        string(REPLACE "${char}" "\\${char}" spec "${spec}")
    endforeach()
    add_test("unit.nuget.${name}" "${NUGET_PLUGIN_TESTS}" "${spec}")
    set_tests_properties("unit.nuget.${name}" PROPERTIES LABELS "unit;dotnet" TIMEOUT 60)
endforeach()
