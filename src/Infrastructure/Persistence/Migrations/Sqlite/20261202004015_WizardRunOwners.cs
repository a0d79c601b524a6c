using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sessions.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WizardRunOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "created_by_handle",
                table: "wizard_runs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "created_by_name",
                table: "wizard_runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "created_by_user_id",
                table: "wizard_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_wizard_runs_created_by_user_id",
                table: "wizard_runs",
                column: "created_by_user_id");

            migrationBuilder.AddForeignKey(
                name: "FK_wizard_runs_users_created_by_user_id",
                table: "wizard_runs",
                column: "created_by_user_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_wizard_runs_users_created_by_user_id",
                table: "wizard_runs");

            migrationBuilder.DropIndex(
                name: "IX_wizard_runs_created_by_user_id",
                table: "wizard_runs");

            migrationBuilder.DropColumn(
                name: "created_by_handle",
                table: "wizard_runs");

            migrationBuilder.DropColumn(
                name: "created_by_name",
                table: "wizard_runs");

            migrationBuilder.DropColumn(
                name: "created_by_user_id",
                table: "wizard_runs");
        }
    }
}
