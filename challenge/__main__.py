"""`python -m challenge <command>`: see challenge.cli."""

from challenge.cli.commands import main

raise SystemExit(main())
