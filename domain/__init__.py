"""thidua's domain: aggregates, their events and rules, and the one Application."""
