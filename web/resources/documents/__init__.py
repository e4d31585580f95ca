"""The documents of the year, generated from the views as editable DOCX in the format of
Nghị định 30/2020/NĐ-CP: the General Director's decision with its attached list, a group's
election minutes, a provincial cluster head's summary."""
