"""The documents of the year, generated from the views as editable DOCX: the General
Director's decision on the levels with its attached list."""
