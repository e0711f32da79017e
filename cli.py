"""Launcher for a checkout: `python cli.py score seeds/` (the installed command is `provenance`)."""

from provenance.cli import app

if __name__ == "__main__":
    app(prog_name="provenance")
