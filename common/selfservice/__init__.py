"""Qt-free readers and writers behind the kiosk's self-service pages (评价 …)."""
