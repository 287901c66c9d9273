"""The letter and e-mail templates (Jinja), one file per kind and language.

They live at the top of the project, where someone who wants to change a letter looks first;
the wheel ships them as the package ``wikcli.templates`` (see pyproject.toml), so a plain
install finds them. A user overrides one by putting a file of the same name in
``<home>/templates/``.
"""
