# bash completion for prefectctx                         -*- shell-script -*-
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Completes commands, subcommands and options by asking the tool itself
# (`prefectctx COMMAND... --help`), so that it stays in step with it, and
# profile names (`prefectctx profile ls`) after --profile and for the
# profile commands that take one.

_prefectctx_profiles ()
{
  "$1" profile ls 2>/dev/null | sed -n 's/^[* ] \(.*\)$/\1/p'
}

_prefectctx ()
{
  local tool=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
  local -a path=()
  local i word help words

  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  if [[ $prev == --profile ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_prefectctx_profiles "$tool")" -- "$cur")
    return
  fi

  # The commands given so far; options and their values are skipped.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      --profile) ((i++)) ;;
      -*) ;;
      *) path+=("$word") ;;
    esac
  done

  if [[ ${path[0]} == profile && ${#path[@]} -eq 2 && $cur != -* ]]; then
    case ${path[1]} in
      inspect | use | delete)
        mapfile -t COMPREPLY < <(compgen -W "$(_prefectctx_profiles "$tool")" -- "$cur")
        return ;;
    esac
  fi

  help=$("$tool" "${path[@]}" --help 2>/dev/null) || return
  if [[ $cur == -* ]]; then
    words=$(sed -n 's/^  \(-[[:alnum:]], \)\{0,1\}\(--[[:alnum:]-]*\).*/\2/p' <<< "$help")
  else
    words=$(sed -n '/^Commands:$/,/^$/s/^  \([[:alnum:]][[:alnum:]-]*\) .*/\1/p' <<< "$help")
  fi
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

complete -F _prefectctx prefectctx
