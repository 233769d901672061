"""`python -m challenge <command>`: see challenge.cli."""

from challenge.cli import main

raise SystemExit(main())
