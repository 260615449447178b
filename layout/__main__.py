"""``python -m layout`` is the ``broadsheet`` command."""

try:
    from layout.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: nothing was written
    raise SystemExit(130) from None

raise SystemExit(main())
