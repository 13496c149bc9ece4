# The modules of server/, bottom first. A module may use its own headers and those of modules
# before it, never one after it; a new module must be placed here. Read by the build
# (cmake/HeraldModules.cmake: one library per module, linked only downward) and by the check CTest
# runs (cmake/CheckModuleLayers.cmake). docs/architecture.md draws it.
set(HERALD_MODULE_LAYERS
    config crypto timing winservice storage registry http limits presence push dispatch monitor
    api admin metrics app)
