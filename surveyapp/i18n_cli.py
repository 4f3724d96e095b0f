"""`flask translate ...`: extract, update, compile and check the interface catalogues in translations/.

The functions are also used by the catalogue test, so the test checks exactly what translators get.
"""
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from surveyapp.i18n import INTERFACE_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
BABEL_CFG = ROOT / "babel.cfg"
POT = ROOT / "messages.pot"
KEYWORDS = ("_", "gettext", "ngettext:1,2", "_l", "lazy_gettext", "_nl:1,2", "lazy_ngettext:1,2",
            "pgettext:1c,2", "lazy_pgettext:1c,2")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract_messages(pot: Path = POT) -> Path:
    """Write every msgid of the code and the templates into `pot` (what `pybabel extract` does)."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel("extract", "-F", str(BABEL_CFG), "--no-location", "--sort-output",
             *keywords, "--project", "surveyapp", "-o", str(pot), str(ROOT))
    return pot


def catalogue_problems(pot: Path, translations: Path = TRANSLATIONS) -> list[str]:
    """One line per msgid that is missing from, untranslated in or fuzzy in a shipped catalogue."""
    with pot.open("rb") as handle:
        template = read_po(handle)
    wanted = [message for message in template if message.id]
    problems = []
    for lang in INTERFACE_LANGUAGES:
        path = translations / lang / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{lang}: no catalogue at {path.relative_to(translations.parent)}")
            continue
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=lang)
        for message in wanted:
            found = catalogue.get(message.id, message.context)
            label = message.id if isinstance(message.id, str) else message.id[0]
            if found is None:
                problems.append(f"{lang}: missing {label!r}")
            elif found.fuzzy:
                problems.append(f"{lang}: fuzzy {label!r}")
            elif not _translated(found, catalogue.num_plurals):
                problems.append(f"{lang}: untranslated {label!r}")
    return problems


def _translated(message, num_plurals: int) -> bool:
    if isinstance(message.string, tuple | list):
        return len(message.string) == num_plurals and all(message.string)
    return bool(message.string)


@click.group("translate")
def translate_cli() -> None:
    """Interface translations (catalogues in translations/)."""


@translate_cli.command("extract")
def extract_command() -> None:
    """Collect all messages of the code and templates into messages.pot."""
    click.echo(f"wrote {extract_messages()}")


@translate_cli.command("init")
@click.argument("lang")
def init_command(lang: str) -> None:
    """Start a catalogue for a new interface language (add it to i18n.INTERFACE_LANGUAGES too)."""
    pot = extract_messages()
    _pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang)
    pot.unlink()


@translate_cli.command("update")
def update_command() -> None:
    """Merge new and changed messages into every catalogue (new ones arrive empty, changed ones fuzzy)."""
    pot = extract_messages()
    _pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "--ignore-obsolete", "--no-wrap")
    pot.unlink()


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile the catalogues to .mo files, which the running application reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@translate_cli.command("check")
def check_command() -> None:
    """List messages that are missing, untranslated or fuzzy in any catalogue; exit 1 if there are any."""
    pot = extract_messages()
    problems = catalogue_problems(pot)
    pot.unlink()
    for line in problems:
        click.echo(line)
    if problems:
        raise SystemExit(1)
    click.echo(f"all {len(INTERFACE_LANGUAGES)} catalogues are complete")
