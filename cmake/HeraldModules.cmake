# herald_add_module(<module> [USES <lower module> ...] [LIBS <other library> ...])
# Defines herald-<module>, the static library of server/<module>/, which links PUBLIC the libraries
# of the modules it USES and the other LIBS (herald-common, Qt, OpenSSL, ...) it needs. A module may
# only use modules below it in HERALD_MODULE_LAYERS: naming one above it (or itself, or one not in
# the list) stops the configuration, so the link graph of the server can only point downward.
include(${CMAKE_CURRENT_LIST_DIR}/HeraldModuleLayers.cmake)

function(herald_add_module module)
    cmake_parse_arguments(M "" "" "USES;LIBS" ${ARGN})
    list(FIND HERALD_MODULE_LAYERS ${module} rank)
    if(rank EQUAL -1)
        message(FATAL_ERROR "server/${module}/ is not in HERALD_MODULE_LAYERS (cmake/HeraldModuleLayers.cmake)")
    endif()
    set(targets "")
    foreach(used IN LISTS M_USES)
        list(FIND HERALD_MODULE_LAYERS ${used} usedRank)
        if(usedRank EQUAL -1)
            message(FATAL_ERROR "herald-${module} uses '${used}', which is not a module of server/")
        endif()
        if(NOT usedRank LESS rank)
            message(FATAL_ERROR "herald-${module} uses herald-${used}, which is not below it in "
                "HERALD_MODULE_LAYERS (cmake/HeraldModuleLayers.cmake): modules link only downward")
        endif()
        list(APPEND targets herald-${used})
    endforeach()

    add_library(herald-${module} STATIC)
    target_include_directories(herald-${module} PUBLIC ${PROJECT_SOURCE_DIR}/server)
    target_link_libraries(herald-${module} PUBLIC ${targets} ${M_LIBS})
    set_property(GLOBAL APPEND PROPERTY HERALD_MODULES ${module})
endfunction()
