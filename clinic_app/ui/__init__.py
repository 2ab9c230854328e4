"""The Qt window: the only package of clinic_app that may import PySide6.

Widgets gather input, call one service function per user action, and show the
result or the translated error. Slow work goes through ``tasks.TaskRunner``;
every mutation is announced once through ``Desk.data_changed``.
"""
