"""`flask programmes add-member | remove-member`: attached to the programmes command group by the app factory."""
import click

from surveyapp.accounts.members import service
from surveyapp.accounts.models import Role
from surveyapp.programmes.cli import change, programme_by_code

ROLES = (Role.MANAGER, Role.EVALUATOR, Role.ADMIN)


@click.command("add-member")
@click.argument("code")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in ROLES]), required=True)
def add_member(code, email, role):
    """Give the existing staff account EMAIL a role in programme CODE."""
    programme = programme_by_code(code)
    with change("membership.create") as targets:
        membership = service.add_member(programme, email, Role(role))
        targets.append(f"membership:{membership.id}")
    click.echo(f"{membership.user.email} is {role} of {programme.code}")


@click.command("remove-member")
@click.argument("code")
@click.argument("email")
def remove_member(code, email):
    """Take the role of staff account EMAIL in programme CODE away (the account stays)."""
    programme = programme_by_code(code)
    membership = service.find_membership(programme, email)
    if membership is None:
        raise click.ClickException(f"{email} is not a member of {programme.code}")
    with change("membership.delete") as targets:
        targets.append(f"membership:{membership.id}")
        service.remove_member(membership, actor=None)
    click.echo(f"{email} is no longer a member of {programme.code}")


COMMANDS = (add_member, remove_member)
