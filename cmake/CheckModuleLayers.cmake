# Fails when a module of server/ includes a header of a module above it, or any header through a
# relative "../" path. Run by CTest (unit.module_layers) and as a step of the build (before any
# module compiles) as: cmake -DSOURCE_DIR=<repo> -P cmake/CheckModuleLayers.cmake
#
# The order, bottom first, is in cmake/HeraldModuleLayers.cmake; a module missing there fails the
# check and says so.
include(${CMAKE_CURRENT_LIST_DIR}/HeraldModuleLayers.cmake)

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "pass -DSOURCE_DIR=<repository root>")
endif()

set(problems "")
set(checked 0)
file(GLOB modules LIST_DIRECTORIES true RELATIVE ${SOURCE_DIR}/server ${SOURCE_DIR}/server/*)
foreach(module ${modules})
    if(NOT IS_DIRECTORY ${SOURCE_DIR}/server/${module})
        continue()
    endif()
    math(EXPR checked "${checked} + 1")
    list(FIND HERALD_MODULE_LAYERS ${module} rank)
    if(rank EQUAL -1)
        string(APPEND problems "server/${module}/ is not in HERALD_MODULE_LAYERS (cmake/HeraldModuleLayers.cmake)\n")
        continue()
    endif()
    file(GLOB_RECURSE sources ${SOURCE_DIR}/server/${module}/*.h ${SOURCE_DIR}/server/${module}/*.cpp)
    foreach(source ${sources})
        # A path through "../" would reach any module past the include roots: name the module.
        file(STRINGS ${source} relative REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"]*\\.\\./")
        if(relative)
            file(RELATIVE_PATH where ${SOURCE_DIR} ${source})
            string(APPEND problems "${where}: includes through ../ (write \"<module>/<header>\")\n")
        endif()
        file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z]+/")
        foreach(line ${includes})
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([a-z]+)/.*" "\\1" target "${line}")
            list(FIND HERALD_MODULE_LAYERS ${target} targetRank)
            if(targetRank GREATER rank)
                file(RELATIVE_PATH where ${SOURCE_DIR} ${source})
                string(APPEND problems "${where}: ${module}/ includes ${target}/, a module above it\n")
            endif()
        endforeach()
    endforeach()
endforeach()

if(problems)
    message(FATAL_ERROR "module layering broken:\n${problems}")
endif()
message(STATUS "module layering holds for ${checked} modules")
