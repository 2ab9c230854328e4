"""Look: calm, high-contrast, large enough for a tired nurse on a small screen."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from clinic_app.resources import resource_path

ACCENT = "#0f766e"
ACCENT_DARK = "#115e59"
DANGER = "#b42318"
WARNING = "#b54708"
MUTED = "#5b6470"
SURFACE = "#f5f7f8"
BORDER = "#d0d5dd"

STYLE_SHEET = f"""
QWidget {{ color: #1d2939; }}
QMainWindow, QDialog {{ background: {SURFACE}; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    background: white; border: 1px solid {BORDER}; border-radius: 6px; padding: 5px 8px;
    selection-background-color: {ACCENT};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 2px solid {ACCENT}; padding: 4px 7px;
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{
    border: 2px solid {DANGER}; background: #fef3f2; padding: 4px 7px;
}}
/* Combo, spin and date boxes keep Fusion's own drawing (styled borders lose their
   arrows); a refused one is tinted instead. */
QComboBox, QSpinBox, QDateEdit {{ min-height: 24px; }}
QComboBox[invalid="true"], QDateEdit[invalid="true"], QSpinBox[invalid="true"] {{
    background: #fef3f2; color: {DANGER};
}}
QPushButton {{
    background: white; border: 1px solid {BORDER}; border-radius: 6px; padding: 6px 14px;
}}
QPushButton:hover {{ background: #eef4f3; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; padding: 5px 13px; }}
QPushButton:disabled {{ color: #98a2b3; background: #f2f4f7; }}
QPushButton[primary="true"] {{
    background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK}; font-weight: 600;
}}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:disabled {{ background: #98c6c1; color: white; }}
QTableView, QListWidget, QTreeWidget, QTextBrowser {{
    background: white; border: 1px solid {BORDER}; border-radius: 6px;
    alternate-background-color: #f9fafb; selection-background-color: #cce8e4;
    selection-color: #101828;
}}
QListWidget#history::item, QListWidget#documents::item {{
    padding: 6px 8px; border-bottom: 1px solid #eaecf0;
}}
QHeaderView::section {{
    background: #eef1f4; border: none; border-bottom: 1px solid {BORDER};
    padding: 6px 8px; font-weight: 600; color: #344054;
}}
QListWidget#navigation {{
    background: #0b3b37; border: none; border-radius: 0; color: #e6f4f1; padding-top: 8px;
    outline: 0;
}}
QListWidget#navigation::item {{ padding: 12px 16px; border-left: 4px solid transparent; }}
QListWidget#navigation::item:selected {{
    background: #125650; color: white; border-left: 4px solid #5eead4;
}}
QLabel#pageTitle {{ font-size: 16pt; font-weight: 600; color: #101828; }}
QLabel#sectionTitle {{ font-size: 12pt; font-weight: 600; color: #101828; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#errorLabel {{ color: {DANGER}; font-weight: 600; }}
QLabel#warningLabel {{ color: {WARNING}; font-weight: 600; }}
QLabel#okLabel {{ color: {ACCENT_DARK}; font-weight: 600; }}
QLabel#allergies {{ color: {DANGER}; font-weight: 700; }}
QLabel#patientName {{ font-size: 17pt; font-weight: 700; color: #101828; }}
QFrame#card {{ background: white; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#patientHeader {{ background: white; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#lockPanel {{ background: white; border: 1px solid {BORDER}; border-radius: 10px; }}
QFrame#lockPanel QLabel {{ background: transparent; border: none; }}
QStatusBar {{ background: white; border-top: 1px solid {BORDER}; }}
QStatusBar QLabel {{ padding: 0 6px; }}
QProgressBar {{
    border: 1px solid {BORDER}; border-radius: 4px; background: white; max-height: 10px;
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QGroupBox {{
    background: white; border: 1px solid {BORDER}; border-radius: 8px; margin-top: 14px;
    padding: 12px 10px 10px 10px; font-weight: 600;
}}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
QGroupBox QLabel, QGroupBox QCheckBox, QGroupBox QRadioButton {{ font-weight: normal; }}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style (the same on every machine) with the bundled DejaVu as a fallback font."""
    app.setStyle("Fusion")
    palette = app.palette()
    # One calm background everywhere (scroll areas and dialogs included).
    palette.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    app.setPalette(palette)
    families: list[str] = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        path = resource_path("fonts", name)
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families += QFontDatabase.applicationFontFamilies(font_id)
    font = QFont(app.font())
    if families and font.family() not in QFontDatabase.families():
        font.setFamily(families[0])
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
