# cmake -DLUPDATE=... -DSOURCE_DIR=... -DTS_FILES="a.ts;b.ts" -DWORK_DIR=... -P CheckTranslations.cmake
# Fails when a translation file is not complete for the current sources: lupdate runs on a copy of
# each .ts file (the committed ones stay untouched) and the copy must have no unfinished message.
file(MAKE_DIRECTORY "${WORK_DIR}")
foreach(ts IN LISTS TS_FILES)
    get_filename_component(name "${ts}" NAME)
    set(copy "${WORK_DIR}/${name}")
    configure_file("${ts}" "${copy}" COPYONLY)
    execute_process(COMMAND "${LUPDATE}" -silent -no-obsolete -locations none "${SOURCE_DIR}" -ts "${copy}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "lupdate failed on ${name}: ${out}${err}")
    endif()
    file(STRINGS "${copy}" unfinished REGEX "type=\"unfinished\"")
    list(LENGTH unfinished count)
    if(count GREATER 0)
        message(FATAL_ERROR "${name}: ${count} unfinished translation(s); run the update_translations target and translate them")
    endif()
    message(STATUS "${name}: complete")
endforeach()
