"""Completion scripts for bash, zsh and fish, and their answers, quoted for the shell."""

from __future__ import annotations

import os
import re
import sys
import unicodedata

from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete, FishComplete, ZshComplete

# A candidate is ledger text (an area, an owner, a tag someone pushed): inserted as typed, a
# `;`, `$(...)` or newline in it would run when the user presses Enter. So each shell gets it
# either quoted by us (bash) or as raw data through a channel that never evaluates it, for the
# shell's own quoting to handle (zsh's compadd, fish's completion insertion).

BASH = """\
%(complete_func)s() {
    local candidate
    COMPREPLY=()
    while IFS= read -r candidate; do
        COMPREPLY+=("$candidate")
    done < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \\
        %(autocomplete_var)s=complete_bash "$1" 2>/dev/null)
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s"""

ZSH = """\
#compdef %(prog_name)s

%(complete_func)s() {
  local -a reply values shown
  local i
  reply=("${(@0)$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" \\
    _SMARTGOALS_ZSH_PAIRS=1 %(autocomplete_var)s=complete_zsh %(prog_name)s 2>/dev/null)}")
  for ((i = 1; i < ${#reply}; i += 2)); do
    values+=("${reply[i]}")
    shown+=("${reply[i+1]}")
  done
  if (( ${#values} )); then
    compadd -l -d shown -a values
  else
    _files
  fi
}

compdef %(complete_func)s %(prog_name)s"""

FISH = (
    "complete --command %(prog_name)s --no-files --arguments "
    '"(env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s | string split0)" '
    '--condition "env %(autocomplete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s"'
)

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}

_BARE = re.compile(r"[\w@%+=:,./-]+")  # what bash takes literally without quotes
_ZSH_PLAIN = re.compile(r"[\w@%+=,./-]+")  # and in a zsh _arguments spec (no `:`)


def script(shell: str, prog_name: str, complete_var: str) -> str:
    """The completion script for shell, calling prog_name with complete_var set."""
    name = re.sub(r"[^a-zA-Z0-9_]", "", prog_name.replace("-", "_"))
    return SCRIPTS[shell] % {
        "complete_func": f"_{name}_completion",
        "prog_name": prog_name,
        "autocomplete_var": complete_var,
    }


def quote_bash(value: str) -> str:
    """value as one bash word that stands for exactly value, on one line."""
    if _BARE.fullmatch(value):
        return value
    if value.isprintable():
        # a leading `~` or `#`, and every other metacharacter, loses its meaning behind `\`
        return "".join(c if _BARE.fullmatch(c) and c != "~" else "\\" + c for c in value)
    escaped = "".join(
        c if c.isprintable() and c not in "\\'" else f"\\x{ord(c):02x}" if ord(c) < 256 else c
        for c in value
    )
    return f"$'{escaped}'"


def _shown(item: CompletionItem) -> str:
    """What a menu shows for item: value and help, controls made visible."""
    from smartgoals.safetext import clean

    return clean(f"{item.value} -- {item.help}" if item.help else str(item.value))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _typed(args: list[str], incomplete: str) -> tuple[list[str], str]:
    # `Café` typed in NFD (a Mac's keyboard, a pasted name) completes the NFC candidate
    return args, _nfc(incomplete)


class Bash(BashComplete):
    """One quoted candidate a line (a newline inside one is written `$'\\n'`)."""

    def get_completion_args(self) -> tuple[list[str], str]:
        return _typed(*super().get_completion_args())

    def source(self) -> str:
        return script("bash", self.prog_name, self.complete_var)

    def format_completion(self, item: CompletionItem) -> str:
        return quote_bash(str(item.value))


class Zsh(ZshComplete):
    """Value and shown text, each ended by NUL, for compadd to quote; to a script of Typer's
    (which evaluates what it reads) only candidates that need no quoting."""

    def get_completion_args(self) -> tuple[list[str], str]:
        return _typed(*super().get_completion_args())

    def source(self) -> str:
        return script("zsh", self.prog_name, self.complete_var)

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        completions = self.get_completions(args, incomplete)
        if os.environ.get("_SMARTGOALS_ZSH_PAIRS"):
            return "".join(f"{item.value}\0{_shown(item)}\0" for item in completions)
        plain = [str(i.value) for i in completions if _ZSH_PLAIN.fullmatch(str(i.value))]
        return f"_arguments '*: :(({' '.join(plain)}))'" if plain else "_files"


class Fish(FishComplete):
    """Value, tab and help, each ended by NUL (split by `string split0`); fish escapes what it
    inserts."""

    def get_completion_args(self) -> tuple[list[str], str]:
        return _typed(*super().get_completion_args())

    def source(self) -> str:
        return script("fish", self.prog_name, self.complete_var)

    def format_completion(self, item: CompletionItem) -> str:
        from smartgoals.safetext import clean

        value = str(item.value).replace("\t", " ")
        return f"{value}\t{clean(item.help)}\0" if item.help else f"{value}\0"

    def complete(self) -> str:
        text = super().complete().replace("\0\n", "\0")  # one record a NUL, none a line
        # written here: the line end that Click's echo adds would be read as one more record
        sys.stdout.write(text)
        sys.stdout.flush()
        raise SystemExit(0)


def install() -> None:
    """Answer completion requests with the classes above, and print and install their scripts
    (Typer's own `--show-completion` and `--install-completion` read its script table)."""
    from typer import _completion_shared

    for shell, cls in (("bash", Bash), ("zsh", Zsh), ("fish", Fish)):
        add_completion_class(cls, shell)
        _completion_shared._completion_scripts[shell] = SCRIPTS[shell]
