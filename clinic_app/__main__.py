from __future__ import annotations

import sys

from clinic_app.cli import main

sys.exit(main())
