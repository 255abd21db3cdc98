"""The API a check talks to: the mock, or a real API live, recorded or replayed."""
