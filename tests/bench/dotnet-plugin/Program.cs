// SPDX-License-Identifier: MIT
// A minimal .NET NuGet credential plugin, the restore benchmark's reference: it answers
// Handshake, GetOperationClaims and GetAuthenticationCredentials (password $BENCH_PLUGIN_TOKEN)
// and Success to the rest. Like any .NET plugin, its Handshake goes out after its own start-up.
using System.Text;
using System.Text.Json.Nodes;

var token = Environment.GetEnvironmentVariable("BENCH_PLUGIN_TOKEN") ?? "";
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
void Send(string id, string type, string method, JsonObject payload) =>
    output.WriteLine(new JsonObject { ["RequestId"] = id, ["Type"] = type, ["Method"] = method, ["Payload"] = payload }.ToJsonString());

Send(Guid.NewGuid().ToString(), "Request", "Handshake", new JsonObject { ["ProtocolVersion"] = "2.0.0", ["MinimumProtocolVersion"] = "1.0.0" });
string? line;
while ((line = Console.ReadLine()) != null)
{
    var message = JsonNode.Parse(line)!;
    if ((string?)message["Type"] != "Request") continue;
    var method = (string)message["Method"]!;
    if (method == "Close") break;
    Send((string)message["RequestId"]!, "Response", method, method switch
    {
        "Handshake" => new JsonObject { ["ResponseCode"] = "Success", ["ProtocolVersion"] = "2.0.0" },
        "GetOperationClaims" => new JsonObject { ["Claims"] = message["Payload"]?["ServiceIndex"] is null ? new JsonArray("Authentication") : new JsonArray() },
        "GetAuthenticationCredentials" => new JsonObject { ["Username"] = "feedz", ["Password"] = token, ["AuthenticationTypes"] = new JsonArray("Basic"), ["ResponseCode"] = "Success" },
        _ => new JsonObject { ["ResponseCode"] = "Success" },
    });
}
