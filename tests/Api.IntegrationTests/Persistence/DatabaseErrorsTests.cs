using System.Reflection;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Persistence;

/// <summary>
/// How SQL Server's errors are classified, by error number, without a server: unique violations become
/// the usual 409s, deadlock victims and write conflicts are retried, and connection failures and
/// timeouts are answered 503 <c>database_unavailable</c>.
/// </summary>
public sealed class DatabaseErrorsTests
{
    [Theory]
    [InlineData(2627, DatabaseFailure.UniqueViolation)] // PRIMARY KEY / UNIQUE constraint
    [InlineData(2601, DatabaseFailure.UniqueViolation)] // unique index
    [InlineData(1205, DatabaseFailure.WriteConflict)] // deadlock victim
    [InlineData(3960, DatabaseFailure.WriteConflict)] // snapshot update conflict
    [InlineData(1222, DatabaseFailure.WriteConflict)] // lock request time-out
    [InlineData(-2, DatabaseFailure.Unavailable)] // timeout expired
    [InlineData(-1, DatabaseFailure.Unavailable)] // could not connect
    [InlineData(53, DatabaseFailure.Unavailable)] // server not found
    [InlineData(10054, DatabaseFailure.Unavailable)] // connection reset
    [InlineData(10061, DatabaseFailure.Unavailable)] // connection refused
    [InlineData(4060, DatabaseFailure.Unavailable)] // database cannot be opened
    [InlineData(40613, DatabaseFailure.Unavailable)] // Azure SQL database not available right now
    [InlineData(208, DatabaseFailure.Other)] // invalid object name: a bug, not an outage
    [InlineData(547, DatabaseFailure.Other)] // foreign key violation
    [InlineData(8152, DatabaseFailure.Other)] // string would be truncated
    public void SqlServerErrors_AreClassifiedByNumber(int number, DatabaseFailure expected)
    {
        DatabaseErrors.ClassifySqlServer(number).Should().Be(expected);

        // The same, read from a real SqlException as EF Core wraps it.
        var exception = new DbUpdateException("save failed", SqlExceptionWith(number));
        DatabaseErrors.Classify(exception).Should().Be(expected);
        DatabaseErrors.IsUniqueViolation(exception).Should().Be(expected == DatabaseFailure.UniqueViolation);
        DatabaseErrors.IsWriteConflict(exception).Should().Be(expected == DatabaseFailure.WriteConflict);
        DatabaseErrors.IsUnavailable(exception).Should().Be(expected == DatabaseFailure.Unavailable);
    }

    [Fact]
    public void AnErrorAfterAnInformationalMessage_IsStillRecognised()
    {
        DatabaseErrors.Classify(SqlExceptionWith(3621, 1205)).Should().Be(DatabaseFailure.WriteConflict);
    }

    [Fact]
    public void ExceptionsThatAreNotTheDatabases_AreOther()
    {
        DatabaseErrors.Classify(new InvalidOperationException("unrelated")).Should().Be(DatabaseFailure.Other);
        DatabaseErrors.Classify(new TimeoutException("an HTTP call")).Should().Be(DatabaseFailure.Other);
    }

    /// <summary>SqlClient makes SqlException only from server errors; build one the way it does (its constructors are internal).</summary>
    private static SqlException SqlExceptionWith(params int[] numbers)
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errors = (SqlErrorCollection)typeof(SqlErrorCollection).GetConstructor(Internal, Type.EmptyTypes)!.Invoke(null);
        var errorConstructor = typeof(SqlError).GetConstructors(Internal).OrderByDescending(c => c.GetParameters().Length).First();
        foreach (var number in numbers)
        {
            var arguments = errorConstructor.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(int) && p.Name == "infoNumber" => number,
                var t when t == typeof(string) => (object)$"error {number}",
                var t when t == typeof(byte) => (byte)(number is 3621 ? 10 : 16),
                var t when t == typeof(int) || t == typeof(uint) => Convert.ChangeType(0, t, System.Globalization.CultureInfo.InvariantCulture),
                var t when t.IsValueType => Activator.CreateInstance(t),
                _ => null,
            }).ToArray();
            var error = (SqlError)errorConstructor.Invoke(arguments);
            typeof(SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(errors, [error]);
        }

        var create = typeof(SqlException).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == "CreateException")
            .OrderBy(m => m.GetParameters().Length)
            .First(m => m.GetParameters()[0].ParameterType == typeof(SqlErrorCollection));
        var createArguments = create.GetParameters()
            .Select<ParameterInfo, object?>((p, i) => i == 0 ? errors : p.ParameterType == typeof(string) ? "16.0" : null).ToArray();
        var exception = (SqlException)create.Invoke(null, createArguments)!;
        exception.Number.Should().Be(numbers[0], "the helper must build what SqlClient builds");
        return exception;
    }
}
