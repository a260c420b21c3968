"""Teams settings, declared next to the Teams code, and the Bot Framework configuration they make."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ConfigError, Setting

APP_TYPES = {"singletenant": "SingleTenant", "multitenant": "MultiTenant", "userassignedmsi": "UserAssignedMSI"}


def app_type(value: str) -> str:
    try:
        return APP_TYPES[value.strip().lower()]
    except KeyError:
        raise ValueError("must be SingleTenant, MultiTenant or UserAssignedMSI") from None


def cloud(value: str) -> str:
    value = value.strip().lower()
    if value not in ("public", "gcc", "gcch", "dod"):
        raise ValueError("must be public, gcc, gcch or dod")
    return value


TEAMS_SETTINGS = {
    "app_id": Setting("MICROSOFT_APP_ID", str, "", help="the Azure Bot's app id (empty: local testing, no auth)"),
    "app_password": Setting("MICROSOFT_APP_PASSWORD", str, "", help="the app's client secret"),
    "app_type": Setting("MICROSOFT_APP_TYPE", app_type, "SingleTenant", help="SingleTenant or MultiTenant"),
    "tenant_id": Setting("MICROSOFT_APP_TENANT_ID", str, "", help="the tenant of a SingleTenant app"),
    "cloud": Setting("POLICYBOT_TEAMS_CLOUD", cloud, "public", help="public, gcc, gcch or dod"),
}

# Azure Government (GCC High and DoD) endpoints; GCC uses the public cloud's.
GOVERNMENT = {
    "CHANNEL_SERVICE": "https://botframework.azure.us",
    "OAUTH_URL": "https://tokengcch.botframework.azure.us/",
    "TO_CHANNEL_FROM_BOT_LOGIN_URL": "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us",
    "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.us",
    "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": "https://api.botframework.us",
    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
    "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": (
        "https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration"
    ),
}


@dataclass
class BotFrameworkConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "MultiTenant"  # with no app id (local testing) there is no tenant to name
    APP_TENANTID: str = ""


def bot_framework_config(values: dict) -> BotFrameworkConfig:
    if values["app_id"] and values["app_type"] == "SingleTenant" and not values["tenant_id"]:
        raise ConfigError("MICROSOFT_APP_TENANT_ID is required with MICROSOFT_APP_ID of type SingleTenant")
    if values["app_id"] and values["app_type"] != "UserAssignedMSI" and not values["app_password"]:
        raise ConfigError("MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID")
    kind = values["app_type"] if values["app_id"] else "MultiTenant"
    config = BotFrameworkConfig(values["app_id"], values["app_password"], kind, values["tenant_id"])
    if values["cloud"] in ("gcch", "dod"):
        for key, value in GOVERNMENT.items():
            setattr(config, key, value)
        if values["cloud"] == "dod":
            config.OAUTH_URL = "https://apiDoD.botframework.azure.us/"
    return config
