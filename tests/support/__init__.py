"""What the tests share: the root actor, the API client, the small organisations and
years several test modules build. A test module never imports another test module."""
