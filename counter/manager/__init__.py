"""The hall manager's desk (大厅管理): the live dashboard and the manager's actions.

Shown only to a member of staff whose role is manager (``CounterSession.is_manager``); window
staff never get the button that opens it. The figures come from
:mod:`common.manager.dashboard` (plain data), the actions from :mod:`common.manager.actions`.
"""
