"""The hall manager's figures and actions without Qt (the desk is ``counter.manager``)."""
