"""The simulator's customers: create, read, update and delete, and the rules they must meet."""

from tests.integrations.simulator_helpers import (
    CUSTOMERS,
    call,
    create_customers,
    customer,
    error_of,
)


def test_create_customer_answers_the_created_customer_and_get_reads_it_back(simulator):
    created = create_customers(simulator, customer("NUVO_0001"))
    fetched = call(simulator, "GET", CUSTOMERS + "/NUVO_0001")

    assert created.status_code == 200
    [body] = created.json()
    assert body["companyId"] == 7100001
    assert body["customerCode"] == "NUVO_0001"
    assert isinstance(body["id"], int)
    assert fetched.json() == body


def test_existing_customer_code_is_400_duplicate_entry_and_nothing_changes(simulator):
    create_customers(simulator, customer("NUVO_0001", name="First"))

    response = create_customers(
        simulator, customer("NUVO_0002"), customer("NUVO_0001", name="Second")
    )

    assert error_of(response) == (400, "DuplicateEntry")
    assert response.json()["error"]["message"] == "The object is a duplicate of an existing object."
    assert [c["customerCode"] for c in call(simulator, "GET", CUSTOMERS).json()["value"]] == [
        "NUVO_0001"
    ]
    assert call(simulator, "GET", CUSTOMERS + "/NUVO_0001").json()["name"] == "First"


def test_customer_without_city_is_400_value_required_error_naming_city(simulator):
    response = create_customers(simulator, customer(city=None))

    assert error_of(response) == (400, "ValueRequiredError")
    assert response.json()["error"]["message"] == "Field city is required."
    assert response.json()["error"]["details"][0]["refersTo"] == "[0].city"
    assert call(simulator, "GET", CUSTOMERS).json()["@recordsetCount"] == 0


def test_customer_line1_over_50_characters_is_400_string_length_error(simulator):
    response = create_customers(simulator, customer(line1="x" * 51))

    assert error_of(response) == (400, "StringLengthError")
    assert response.json()["error"]["message"] == (
        "Field line1 must be between 1 and 50 characters in length."
    )


def test_create_customers_body_must_be_a_json_array(simulator):
    response = call(simulator, "POST", CUSTOMERS, json=customer())

    assert error_of(response) == (400, "ModelStateInvalid")


def test_customer_code_with_slash_and_space_round_trips_url_encoded(simulator):
    create_customers(simulator, customer("ACME/East 01"))

    fetched = call(simulator, "GET", CUSTOMERS + "/ACME%2FEast%2001")
    other_case = call(simulator, "GET", CUSTOMERS + "/acme%2Feast%2001")

    assert fetched.status_code == 200
    assert fetched.json()["customerCode"] == "ACME/East 01"
    assert error_of(other_case) == (404, "EntityNotFoundError")


def test_update_replaces_the_customer_and_delete_removes_it(simulator):
    create_customers(simulator, customer("NUVO_0001", phoneNumber="(206) 555-1212"))

    updated = call(
        simulator, "PUT", CUSTOMERS + "/NUVO_0001", json=customer("NUVO_0001", name="Bob")
    )
    deleted = call(simulator, "DELETE", CUSTOMERS + "/NUVO_0001")

    assert updated.json()["name"] == "Bob"
    assert "phoneNumber" not in updated.json()
    assert deleted.json()["customerCode"] == "NUVO_0001"
    assert error_of(call(simulator, "GET", CUSTOMERS + "/NUVO_0001")) == (
        404,
        "EntityNotFoundError",
    )
