"""Who sends what, when, in the two team games (seeded, drawn once).

- Preference Detective (`u3-game-detective`, round 0): every player classifies the doctor
  (a random style) at a random moment of the first 80 % of the window, then chooses a random
  message 0.5–3 s later (never past the window). The choice needs the classification, so it
  goes after the reply to it (answering.answer_in_turn).
- Territory Challenge (`u4-game-territory`, quarter 0): each team's allocation is planned so
  that its totals never exceed the quarter's budget. Every customer gets `budget // customers`
  calls (2 of 30 for 14 customers); a resource with fewer units than customers gets one unit
  on each of `budget` random customers. Each unit is one edit (units 1, then 2, ... on a cell),
  so a team makes as many edits as its budget allows on these cells (50 for the course's
  content), shared out among its members so that each cell belongs to one member and everyone
  gets about the same number of edits (5 each in a team of 10). A cell's value only goes up, so
  a teammate's view showing at least u on that cell reflects the edit that set it to u.
"""

import random
from pathlib import Path

import yaml

DETECTIVE = "u3-game-detective"
CHALLENGE = "u4-game-territory"
CLASSIFIED = 'class="style-choice chosen"'  # the reply shows the style chosen
CHOSEN = 'class="message-choice chosen"'  # ... and then the message
BUDGET = 'class="ch-budget"'  # the reply is the team's allocation


def detective_scene(root: Path) -> dict:
    """The first scene of the game (its message ids) and the styles, from the content."""
    config = yaml.safe_load((root / "content/kam/games/detective.yaml").read_text())
    return config["scenes"][0]


def challenge_setup(root: Path) -> tuple[list[str], list[dict], int]:
    """Customer ids (territory order), resources (id, budget) and the cap per customer."""
    config = yaml.safe_load((root / "content/kam/games/challenge.yaml").read_text())
    territory = yaml.safe_load((root / "content/kam/territory.yaml").read_text())
    customers = [card["id"] for card in territory["customers"]]
    resources = [{"id": r["id"], "budget": r["budget"]} for r in config["resources"]]
    return customers, resources, config["max_per_customer"]


def detective_plan(
    names: list[str], scene: dict, styles: list[str], window: float, seed: int
) -> dict[str, list[dict]]:
    rng = random.Random(f"detective-{seed}")
    messages = [m["id"] for m in scene["messages"]]
    plan = {}
    for name in names:
        first = rng.uniform(0, 0.8 * window)
        second = min(first + rng.uniform(0.5, 3.0), window)
        plan[name] = [
            {
                "action": "classify",
                "form": {"activity": DETECTIVE, "style": rng.choice(styles)},
                "at": round(first, 3),
                "again": None,
                "marker": CLASSIFIED,
            },
            {
                "action": "choose",
                "form": {"activity": DETECTIVE, "message": rng.choice(messages)},
                "at": round(second, 3),
                "again": None,
                "marker": CHOSEN,
            },
        ]
    return plan


def team_cells(customers: list[str], resources: list[dict], cap: int, rng: random.Random) -> dict[str, int]:
    """A team's planned final allocation: cell "customer:resource" -> units, within budget."""
    final = {}
    for resource in resources:
        each = min(resource["budget"] // len(customers), cap)
        if each:
            final |= {f"{c}:{resource['id']}": each for c in customers}
        else:
            final |= {f"{c}:{resource['id']}": 1 for c in rng.sample(customers, resource["budget"])}
    return final


def challenge_plan(
    teams: dict[int, list[str]],
    customers: list[str],
    resources: list[dict],
    cap: int,
    window: float,
    seed: int,
) -> dict[str, list[dict]]:
    """teams: team id -> member names. name -> their edits, each at a time in the window."""
    rng = random.Random(f"challenge-{seed}")
    plan = {}
    for team in sorted(teams):
        members = sorted(teams[team])
        final = team_cells(customers, resources, cap, rng)
        owned: dict[str, list[str]] = {name: [] for name in members}
        load = dict.fromkeys(members, 0)
        for cell in sorted(final, key=lambda c: (-final[c], rng.random())):
            owner = min(members, key=lambda name: (load[name], rng.random()))
            owned[owner].append(cell)
            load[owner] += final[cell]
        for name in members:
            # one edit per unit; a cell's edits in rising order, the cells interleaved at random
            steps = {cell: list(range(1, final[cell] + 1)) for cell in owned[name]}
            order = [cell for cell in owned[name] for _ in steps[cell]]
            rng.shuffle(order)
            times = sorted(rng.uniform(0, window) for _ in order)
            posts = []
            for at, cell in zip(times, order, strict=True):
                customer, resource = cell.split(":")
                units = steps[cell].pop(0)
                posts.append(
                    {
                        "action": "allocate",
                        "cell": cell,
                        "units": units,
                        "form": {
                            "activity": CHALLENGE,
                            "customer": customer,
                            "resource": resource,
                            "units": str(units),
                        },
                        "at": round(at, 3),
                        "again": None,
                        "marker": BUDGET,
                    }
                )
            plan[name] = posts
    return plan


def final_cells(plan: dict[str, list[dict]], accepted: dict[str, set[int]]) -> dict[str, dict]:
    """name -> cell -> the last units that trainee sent and got a 200 for."""
    last: dict[str, dict] = {}
    for name, posts in plan.items():
        for index, post in enumerate(posts):
            if index in accepted.get(name, ()):
                last.setdefault(name, {})[post["cell"]] = post["units"]
    return last
