"""clinic_app: offline-first clinic records and stock management.

Everything in this package except ``clinic_app.ui`` is plain Python and never
imports Qt: every user action is a service function a test can call.
"""

from __future__ import annotations

__version__ = "0.1.0"
