# sim/gen_cost_table.cmake - the built-in cost table from bench/costs-default.yaml.
#
#   cmake -DIN=bench/costs-default.yaml -DOUT=cost_table.inc -P gen_cost_table.cmake
#
# The YAML file is the one source of the default costs: every line
# `name: number   # comment` becomes `[SIM_OP_NAME] = number,` (a C
# designated initializer; a misspelt name does not compile, a missing one
# stays 0 and tests/cli/test_costs fails).  The number is copied as text,
# so the C compiler and the scenario loader's strtod read the same digits.
if(NOT DEFINED IN OR NOT DEFINED OUT)
    message(FATAL_ERROR "gen_cost_table.cmake: set IN and OUT")
endif()
file(STRINGS "${IN}" _lines)
set(_body "")
foreach(_line IN LISTS _lines)
    string(REGEX REPLACE "#.*$" "" _line "${_line}")
    string(STRIP "${_line}" _line)
    if(_line STREQUAL "")
        continue()
    endif()
    if(NOT _line MATCHES "^([a-z0-9_]+):[ \t]*([0-9][0-9.]*([eE][-+]?[0-9]+)?)$")
        message(FATAL_ERROR "${IN}: cannot read '${_line}' as 'name: number'")
    endif()
    string(TOUPPER "${CMAKE_MATCH_1}" _op)
    string(APPEND _body "    [SIM_OP_${_op}] = ${CMAKE_MATCH_2},\n")
endforeach()
set(_text "/* Generated from ${IN} by sim/gen_cost_table.cmake: edit the YAML. */\n${_body}")
if(EXISTS "${OUT}")
    file(READ "${OUT}" _old)
    if(_old STREQUAL _text)
        return()
    endif()
endif()
file(WRITE "${OUT}" "${_text}")
