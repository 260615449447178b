"""``python -m layout`` is the ``broadsheet`` command."""

from layout.cli import main

raise SystemExit(main())
