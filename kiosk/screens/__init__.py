"""The kiosk's screens, one per module; each draws a :class:`~kiosk.flow.KioskState` and
forwards taps to the :class:`~kiosk.flow.KioskFlow`."""
