# herald_add_test(<kind> <name> [SOURCES extra.cpp ...] [LIBS lib ...] [LABELS l ...] [TIMEOUT s]
#                 [ONLY_ENGINE engine])
# Builds tests/<kind>/<name>.cpp into a Qt Test program and registers it with CTest as <kind>.<name>.
# Every test can find the freshly built binaries through the HERALD_*_BIN environment variables.
# ONLY_ENGINE: for what one engine alone can do (a cluster needs PostgreSQL): registered only as
# <kind>.<name>.<engine>, as herald_add_engine_variant would.
function(herald_add_test kind name)
    cmake_parse_arguments(T "" "TIMEOUT;ONLY_ENGINE" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${PROJECT_SOURCE_DIR}/tests/${kind}/${name}.cpp ${T_SOURCES})
    target_link_libraries(${name} PRIVATE herald-testsupport herald-core Qt6::Test ${T_LIBS})
    set(test ${kind}.${name})
    if(T_ONLY_ENGINE)
        set(test ${test}.${T_ONLY_ENGINE})
    endif()
    add_test(NAME ${test} COMMAND ${name})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set(env
        "HERALD_SERVER_BIN=$<TARGET_FILE:herald-server>"
        "HERALD_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
        "QT_QPA_PLATFORM=offscreen")
    if(TARGET herald-term)
        list(APPEND env "HERALD_TERM_BIN=$<TARGET_FILE:herald-term>")
    endif()
    set(labels ${kind} ${T_LABELS})
    if(T_ONLY_ENGINE)
        list(APPEND env "HERALD_TEST_ENGINE=${T_ONLY_ENGINE}")
        list(APPEND labels ${T_ONLY_ENGINE})
    endif()
    set_tests_properties(${test} PROPERTIES
        TIMEOUT ${T_TIMEOUT}
        LABELS "${labels}"
        ENVIRONMENT "${env}")
endfunction()

# herald_add_engine_variant(<kind> <name> <engine>)
# Registers <kind>.<name> once more as <kind>.<name>.<engine>: the same program with
# HERALD_TEST_ENGINE=<engine>, so every herald-server it starts stores into that engine
# (tests/support/TestDatabase). Labelled with the engine, e.g. `ctest -L postgresql`.
function(herald_add_engine_variant kind name engine)
    get_test_property(${kind}.${name} ENVIRONMENT env)
    get_test_property(${kind}.${name} TIMEOUT timeout)
    get_test_property(${kind}.${name} LABELS labels)
    add_test(NAME ${kind}.${name}.${engine} COMMAND ${name})
    list(APPEND env "HERALD_TEST_ENGINE=${engine}")
    list(APPEND labels ${engine})
    set_tests_properties(${kind}.${name}.${engine} PROPERTIES
        TIMEOUT ${timeout}
        LABELS "${labels}"
        ENVIRONMENT "${env}")
endfunction()
