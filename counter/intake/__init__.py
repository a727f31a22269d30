"""The counter's intake desk (受理): matter picker, checklist, applicant, accept and print, the
case desk and case detail, and the citizen's rating view (好差评).

The behaviour is :class:`counter.intake.flow.IntakeFlow` (no Qt); the widgets render it. The
words are in Chinese and English side by side (:func:`counter.intake.words.t`): most of them are
the domain's own labels, which carry both languages already (``MaterialMark.label`` /
``label_en``), so the desk switches language with the window's ``set_english``.
"""
