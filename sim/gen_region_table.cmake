# sim/gen_region_table.cmake - a C table of region round-trip times from a CSV.
#
#   cmake -DIN=sim/data/aws-inter-region-rtt-2017.csv -DID=aws_2017 -DOUT=x.inc \
#         -P gen_region_table.cmake
#
# The CSV is the one source of a regions preset: `#` lines are comments, the
# first other line is `from,<region>,...`, then one row per region, in the
# same order, of average RTTs in ms (row = from, column = to).  It becomes
# `static const char *const ID_names[]` and `static const double ID_rtt_ms[]`
# (row-major).  The numbers are copied as text, so the C compiler reads the
# digits the CSV holds; a malformed CSV fails the build.
if(NOT DEFINED IN OR NOT DEFINED OUT OR NOT DEFINED ID)
    message(FATAL_ERROR "gen_region_table.cmake: set IN, ID and OUT")
endif()
file(STRINGS "${IN}" _lines)
set(_names "")
set(_rows "")
set(_n 0)
set(_row 0)
foreach(_line IN LISTS _lines)
    string(STRIP "${_line}" _line)
    if(_line STREQUAL "" OR _line MATCHES "^#")
        continue()
    endif()
    string(REPLACE "," ";" _cells "${_line}")
    list(POP_FRONT _cells _first)
    list(LENGTH _cells _count)
    if(_n EQUAL 0)
        if(NOT _first STREQUAL "from")
            message(FATAL_ERROR "${IN}: the header must start with 'from'")
        endif()
        set(_n ${_count})
        set(_header ${_cells})
        foreach(_c IN LISTS _cells)
            if(NOT _c MATCHES "^[a-z0-9-]+$")
                message(FATAL_ERROR "${IN}: bad region name '${_c}'")
            endif()
            string(APPEND _names "    \"${_c}\",\n")
        endforeach()
        continue()
    endif()
    list(GET _header ${_row} _expect)
    if(NOT _first STREQUAL _expect OR NOT _count EQUAL _n)
        message(FATAL_ERROR "${IN}: row ${_row} is '${_first}' with ${_count} entries; expected '${_expect}' with ${_n}")
    endif()
    string(APPEND _rows "    /* ${_first} */")
    foreach(_c IN LISTS _cells)
        if(NOT _c MATCHES "^[0-9]+(\\.[0-9]+)?$")
            message(FATAL_ERROR "${IN}: '${_c}' in row ${_first} is not a number")
        endif()
        string(APPEND _rows " ${_c},")
    endforeach()
    string(APPEND _rows "\n")
    math(EXPR _row "${_row} + 1")
endforeach()
if(NOT _row EQUAL _n)
    message(FATAL_ERROR "${IN}: ${_row} rows for ${_n} regions")
endif()
set(_text "/* Generated from ${IN} by sim/gen_region_table.cmake: edit the CSV. */
#define ${ID}_count ${_n}
static const char *const ${ID}_names[${_n}] = {
${_names}};
static const double ${ID}_rtt_ms[${_n} * ${_n}] = {
${_rows}};
")
if(EXISTS "${OUT}")
    file(READ "${OUT}" _old)
    if(_old STREQUAL _text)
        return()
    endif()
endif()
file(WRITE "${OUT}" "${_text}")
