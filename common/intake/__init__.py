"""Intake (受理): checklist → decision → case, the case state machine, the hall calendar.

Qt-free (STYLE.md habit 1): the counter's screens, the sync worker and the central server all
stand on these rules. The words of intake — material marks, decisions, case states — live in
:mod:`common.intake.words`; documents and apps import them from there.
"""
