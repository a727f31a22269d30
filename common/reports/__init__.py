"""Reports as plain data (STYLE.md habit 15): queries build the rows, writers render them.

* :mod:`common.reports.model` — the report's row types and :class:`~common.reports.model.Period`;
* :mod:`common.reports.sections` — one function per section, tested against SQL;
* :mod:`common.reports.report` — :func:`~common.reports.report.build_report`, every section;
* :mod:`common.reports.tables` and :mod:`common.reports.writers` — PDF, XLSX and CSV;
* :mod:`common.reports.generate` — generated hall history for tests and the bench;
* :mod:`common.reports.tickets` — the first ticket / rating report API, kept for its callers.
"""
