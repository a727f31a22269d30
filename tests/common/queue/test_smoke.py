from common.queue.service import QueueService


def test_issue_and_call(any_hall: QueueService) -> None:
    t = any_hall.issue()
    assert t.number == "A001"
    called = any_hall.call_next(1)
    assert called is not None and called.number == "A001" and called.window_number == 1
