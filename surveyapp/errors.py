"""Domain errors carry a translated message; views map them to a 4xx and show the message."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Gone(DomainError):
    status_code = 410
